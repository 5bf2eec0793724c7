package dev.promptforge.server.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param enabled seed the demo project on a first start ({@code PROMPTFORGE_DEMO}) */
@ConfigurationProperties("promptforge.demo")
record DemoProperties(@DefaultValue("true") boolean enabled) {}
