/** Demo data seeded on the first start of an empty installation, so a newcomer has something to try. */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.demo;
