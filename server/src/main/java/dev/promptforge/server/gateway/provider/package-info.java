/**
 * What the remote providers share: the blocking HTTP/1.1 client with its keep-alive pool, one HTTP
 * call to the upstream with its time limits, the Server-Sent Events parser, and the classification of
 * every way a call can fail. Internal to the gateway.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.gateway.provider;
