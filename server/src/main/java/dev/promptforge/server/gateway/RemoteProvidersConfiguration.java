package dev.promptforge.server.gateway;

import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * One {@link Provider} bean per entry of {@code promptforge.gateway.providers} ({@code openai} and
 * {@code anthropic} by default, any other OpenAI-compatible server by configuration), so they join
 * the other providers wherever {@code Provider} beans are collected. Each is built at startup, so a
 * configuration mistake stops the start with the property to fix.
 */
@Configuration(proxyBeanMethods = false)
@Import(RemoteProvidersConfiguration.Registrar.class)
class RemoteProvidersConfiguration {

    static final String FACTORY = "remoteProviderFactory";

    @Bean(FACTORY)
    RemoteProviderFactory remoteProviderFactory(GatewayProperties properties, ObjectProvider<ProviderKeys> keys) {
        return new RemoteProviderFactory(properties, keys.getIfAvailable());
    }

    /** Registers the provider beans by the names found in the configuration. */
    static final class Registrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

        private Environment environment;
        private BeanFactory beanFactory;

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void setBeanFactory(BeanFactory beanFactory) {
            this.beanFactory = beanFactory;
        }

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            Set<String> names = Binder.get(environment)
                    .bind(
                            RemoteProviderFactory.PREFIX,
                            Bindable.mapOf(String.class, GatewayProperties.ProviderSettings.class))
                    .map(Map::keySet)
                    .orElse(Set.of());
            BeanFactory factory = beanFactory;
            for (String name : names) {
                RootBeanDefinition definition = new RootBeanDefinition(
                        Provider.class,
                        () -> factory.getBean(FACTORY, RemoteProviderFactory.class)
                                .create(name));
                definition.setDependsOn(FACTORY);
                registry.registerBeanDefinition("remoteProvider." + name, definition);
            }
        }
    }
}
