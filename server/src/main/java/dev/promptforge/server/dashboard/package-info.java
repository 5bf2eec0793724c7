/**
 * The dashboard: server-rendered pages (Thymeleaf + htmx, charts with ECharts) for the people of a
 * project — overview, records, and the pages built on them — updated live over Server-Sent Events.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.dashboard;
