package dev.promptforge.server.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Limits of the HTTP API. */
@ConfigurationProperties("promptforge.http")
record HttpProperties(@DefaultValue("1MB") DataSize maxBodySize) {}
