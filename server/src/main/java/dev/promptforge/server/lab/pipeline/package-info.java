/**
 * Test pipelines of the testing lab: ordered stages (validation, performance, quality, comparison,
 * optimization) that run a prompt version over a dataset through the gateway's one execution path,
 * with runs that persist each stage's result, stream their progress, can be cancelled, and survive a
 * restart of the server.
 */
@org.jspecify.annotations.NullMarked
@org.springframework.modulith.NamedInterface("pipeline")
package dev.promptforge.server.lab.pipeline;
