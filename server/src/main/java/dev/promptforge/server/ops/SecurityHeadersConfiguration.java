package dev.promptforge.server.ops;

import dev.promptforge.server.shared.SecurityEvents;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;

/** Security headers on every response, and failed logins in the security log. */
@Configuration(proxyBeanMethods = false)
class SecurityHeadersConfiguration {

    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter(SecurityEvents events) {
        var registration = new FilterRegistrationBean<>(new SecurityHeadersFilter(events));
        registration.addUrlPatterns("/*");
        registration.setName("securityHeadersFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Spring Security publishes a failure event for each refused login (form or basic). */
    @Bean
    LoginFailures loginFailures(SecurityEvents events) {
        return new LoginFailures(events);
    }

    static final class LoginFailures {
        private final SecurityEvents events;

        LoginFailures(SecurityEvents events) {
            this.events = events;
        }

        @EventListener
        void failed(AbstractAuthenticationFailureEvent event) {
            events.record(
                    SecurityEvents.Type.LOGIN_FAILED,
                    "user '" + event.getAuthentication().getName() + "': "
                            + event.getException().getClass().getSimpleName());
        }
    }
}
