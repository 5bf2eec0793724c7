package dev.promptforge.server.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled seed the demo project on a first start ({@code PROMPTFORGE_DEMO})
 * @param records also execute a few hundred demo records through the gateway ({@code
 *     PROMPTFORGE_DEMO_RECORDS})
 */
@ConfigurationProperties("promptforge.demo")
record DemoProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("true") boolean records) {}
