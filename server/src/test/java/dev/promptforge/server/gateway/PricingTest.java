package dev.promptforge.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricingTest {

    @Test
    void prices_known_models_per_million_tokens_and_dated_variants() {
        Pricing pricing = Pricing.load(null);
        assertThat(pricing.cost("openai/gpt-4o-mini", 1_000_000, 1_000_000)).isEqualTo(0.75);
        assertThat(pricing.cost("openai/gpt-4o-mini-2024-07-18", 2000, 0)).isEqualTo(0.0003);
        assertThat(pricing.cost("local/echo", 500, 500)).isZero();
    }

    @Test
    void an_unknown_model_has_no_cost_rather_than_zero() {
        assertThat(Pricing.load(null).cost("openai/unreleased", 10, 10)).isNull();
    }

    @Test
    void an_override_file_adds_and_replaces_prices(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.yml");
        Files.writeString(
                file,
                "version: custom-1\nmodels:\n  groq/my-model: {input: 1, output: 2}\n  openai/gpt-4o: {input: 0, output: 0}\n");
        Pricing pricing = Pricing.load(file);
        assertThat(pricing.version()).isEqualTo("custom-1");
        assertThat(pricing.cost("groq/my-model", 1_000_000, 1_000_000)).isEqualTo(3.0);
        assertThat(pricing.cost("openai/gpt-4o", 1000, 1000)).isZero();
        assertThat(pricing.cost("openai/gpt-4o-mini", 1_000_000, 0)).isEqualTo(0.15);
    }

    @Test
    void rejects_a_malformed_override_naming_the_model(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.yml");
        Files.writeString(file, "models:\n  x/y: {input: -1, output: 2}\n");
        assertThatThrownBy(() -> Pricing.load(file)).hasMessageContaining("'x/y'");
    }
}
