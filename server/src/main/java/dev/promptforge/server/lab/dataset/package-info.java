/**
 * Datasets of the testing lab: per project, named sets of items ({@code vars}, optional {@code
 * expected} assertions, {@code context}, {@code metadata}), versioned on every change; imported from
 * and exported to CSV (promptfoo's {@code __expected} columns) and JSONL, or made from anonymized
 * production records.
 */
@org.jspecify.annotations.NullMarked
@org.springframework.modulith.NamedInterface("dataset")
package dev.promptforge.server.lab.dataset;
