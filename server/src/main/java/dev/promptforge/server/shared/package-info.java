/**
 * Types every module may use: problem exceptions, identifiers, slugs, pages and the acting principal.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.promptforge.server.shared;
