package dev.promptforge.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.promptforge.server.gateway.fake.FakeAnthropicServer;
import dev.promptforge.server.gateway.fake.FakeOpenAiServer;
import dev.promptforge.server.gateway.fake.FakeReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The remote providers as the shipped application.yml and the environment configure them. */
class RemoteProvidersConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(GatewayProperties.class)
    @Import(RemoteProvidersConfiguration.class)
    static class Providers {}

    final FakeOpenAiServer openAi = FakeOpenAiServer.start();
    final FakeAnthropicServer anthropic = FakeAnthropicServer.start();
    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(Providers.class);

    @AfterEach
    void stopServers() {
        openAi.close();
        anthropic.close();
    }

    static Map<String, Provider> byName(ApplicationContext context) {
        return context.getBeansOfType(Provider.class).values().stream()
                .collect(java.util.stream.Collectors.toMap(Provider::name, provider -> provider));
    }

    static ChatRequest ask(String model) {
        return new ChatRequest(model, List.of(ChatMessage.of("user", "ping")), ChatOptions.DEFAULTS, Map.of());
    }

    @Test
    void configures_openai_and_anthropic_by_default_with_the_shipped_models() {
        runner.run(context -> {
            // when
            Map<String, Provider> providers = byName(context);

            // then
            assertThat(providers).containsOnlyKeys("openai", "anthropic");
            assertThat(providers.get("openai").type()).isEqualTo("openai");
            assertThat(providers.get("openai").models()).contains("gpt-4o-mini");
            assertThat(providers.get("anthropic").type()).isEqualTo("anthropic");
            assertThat(providers.get("anthropic").models()).isNotEmpty();
        });
    }

    @Test
    void takes_base_urls_and_keys_from_the_provider_environment_variables() {
        runner.withPropertyValues(
                        "OPENAI_BASE_URL=" + openAi.baseUrl(),
                        "OPENAI_API_KEY=sk-from-env",
                        "ANTHROPIC_BASE_URL=" + anthropic.baseUrl(),
                        "ANTHROPIC_API_KEY=sk-ant-from-env")
                .run(context -> {
                    // given
                    Map<String, Provider> providers = byName(context);

                    // when
                    ChatResponse fromOpenAi = providers.get("openai").chat(ask("gpt-4o-mini"));
                    ChatResponse fromAnthropic = providers.get("anthropic").chat(ask("claude-3-5-haiku-latest"));

                    // then
                    assertThat(fromOpenAi.text()).isEqualTo("ping");
                    assertThat(openAi.lastRequest().header("Authorization")).isEqualTo("Bearer sk-from-env");
                    assertThat(fromAnthropic.text()).isEqualTo("ping");
                    assertThat(anthropic.lastRequest().header("x-api-key")).isEqualTo("sk-ant-from-env");
                });
    }

    @Test
    void adds_any_other_openai_compatible_provider_by_configuration() {
        runner.withPropertyValues(
                        "promptforge.gateway.providers.ollama.type=openai",
                        "promptforge.gateway.providers.ollama.base-url=" + openAi.baseUrl(),
                        "promptforge.gateway.providers.ollama.models=llama3.2,qwen2.5")
                .run(context -> {
                    // given
                    Provider ollama = byName(context).get("ollama");

                    // when
                    ChatResponse response = ollama.chat(ask("llama3.2"));

                    // then
                    assertThat(byName(context)).containsOnlyKeys("openai", "anthropic", "ollama");
                    assertThat(ollama.models()).containsExactly("llama3.2", "qwen2.5");
                    assertThat(response.text()).isEqualTo("ping");
                    assertThat(openAi.lastRequest().header("Authorization")).isNull();
                    assertThat(openAi.lastRequest().jsonBody()).containsEntry("model", "llama3.2");
                });
    }

    @Test
    void gives_a_provider_the_gateway_timeout_unless_it_sets_its_own() {
        openAi.enqueue(FakeOpenAiServer.answer("late").delay(Duration.ofSeconds(30)));
        openAi.enqueue(FakeOpenAiServer.answer("late").delay(Duration.ofSeconds(30)));
        runner.withPropertyValues(
                        "promptforge.gateway.timeout=250ms",
                        "promptforge.gateway.providers.plain.type=openai",
                        "promptforge.gateway.providers.plain.base-url=" + openAi.baseUrl(),
                        "promptforge.gateway.providers.own.type=openai",
                        "promptforge.gateway.providers.own.base-url=" + openAi.baseUrl(),
                        "promptforge.gateway.providers.own.timeout=300ms")
                .run(context -> {
                    // when
                    var plain = catchThrowableOfType(
                            ProviderException.class,
                            () -> byName(context).get("plain").chat(ask("m")));
                    var own = catchThrowableOfType(
                            ProviderException.class,
                            () -> byName(context).get("own").chat(ask("m")));

                    // then
                    assertThat(plain.failure()).isEqualTo(new ProviderFailure.TimedOut(Duration.ofMillis(250)));
                    assertThat(own.failure()).isEqualTo(new ProviderFailure.TimedOut(Duration.ofMillis(300)));
                });
    }

    @Test
    void refuses_to_start_with_an_unknown_type_naming_the_property() {
        runner.withPropertyValues(
                        "promptforge.gateway.providers.groq.type=grok",
                        "promptforge.gateway.providers.groq.base-url=https://api.groq.com/openai/v1")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessage("promptforge.gateway.providers.groq.type is 'grok': use openai (any"
                                + " OpenAI-compatible server) or anthropic"));
    }

    @Test
    void refuses_to_start_without_a_base_url_or_a_type() {
        runner.withPropertyValues("promptforge.gateway.providers.groq.type=openai")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith("promptforge.gateway.providers.groq.base-url is missing"));
        runner.withPropertyValues("promptforge.gateway.providers.groq.base-url=https://api.groq.com/openai/v1")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith("promptforge.gateway.providers.groq.type is missing"));
    }

    @Test
    void refuses_to_start_with_a_base_url_that_is_not_http() {
        runner.withPropertyValues(
                        "promptforge.gateway.providers.groq.type=openai",
                        "promptforge.gateway.providers.groq.base-url=api.groq.com/openai/v1")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith("promptforge.gateway.providers.groq: The base URL of provider 'groq'"
                                + " must be an http:// or https:// URL with a host"));
    }

    @Test
    void keeps_the_name_local_for_the_offline_provider() {
        runner.withPropertyValues(
                        "promptforge.gateway.providers.local.type=openai",
                        "promptforge.gateway.providers.local.base-url=http://localhost:11434/v1")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith(
                                "promptforge.gateway.providers.local: 'local' is the offline" + " provider's name"));
    }

    @Test
    void answers_through_a_provider_scripted_to_fail_with_its_classified_failure() {
        openAi.enqueue(FakeReply.drop());
        runner.withPropertyValues("OPENAI_BASE_URL=" + openAi.baseUrl()).run(context -> {
            // when
            var failure = catchThrowableOfType(
                    ProviderException.class, () -> byName(context).get("openai").chat(ask("gpt-4o-mini")));

            // then
            assertThat(failure.failure()).isEqualTo(new ProviderFailure.Unavailable(0));
        });
    }
}
