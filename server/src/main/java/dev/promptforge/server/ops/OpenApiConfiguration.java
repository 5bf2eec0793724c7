package dev.promptforge.server.ops;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** OpenAPI description served at {@code /v3/api-docs} and browsable at {@code /docs}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI promptForgeOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("PromptForge API")
                        .version("v1")
                        .description("Prompt registry, execution gateway, records and evaluation."
                                + " Authenticate with 'Authorization: Bearer <api key>'."))
                .components(new Components()
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("A PromptForge API key")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
