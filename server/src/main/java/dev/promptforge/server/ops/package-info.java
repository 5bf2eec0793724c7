/**
 * Operations: database wiring, request correlation, body limits, error rendering, health and API docs.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.ops;
