/**
 * Secrets at rest: provider keys, integration credentials and webhook secrets, envelope-encrypted
 * with Tink (AES-256-GCM) under a master key ({@link dev.promptforge.server.secrets.Secrets}); the
 * master key's loading and rotation are plain Java, shared with the command line.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.secrets;
