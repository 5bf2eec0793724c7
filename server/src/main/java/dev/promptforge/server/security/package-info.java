/** Access: API keys, users and the first-start bootstrap of the admin user and key. */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.security;
