/**
 * The tamper-evident audit log: every state change appends a hash-chained entry in the transaction of
 * the change ({@link dev.promptforge.server.audit.AuditLog}); the chain is verified by the API and by
 * {@code promptforge audit verify} ({@link dev.promptforge.server.audit.AuditChain}).
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.audit;
