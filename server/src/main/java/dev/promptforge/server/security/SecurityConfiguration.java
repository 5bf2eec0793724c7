package dev.promptforge.server.security;

import dev.promptforge.server.shared.Problems;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Two filter chains: the API ({@code /api/**}, {@code /v1/**}, {@code /actuator/**}) is stateless
 * and needs an API key; everything else (API docs, the sign-in page, later the dashboard) is the site,
 * with password sign-in and a session.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ApiKeyAuthenticator keys) {
        http.securityMatcher("/api/**", "/v1/**", "/actuator/**")
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                // Stateless API: no anonymous principal, no servlet-API request wrapper, no session.
                .anonymous(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(
                                ApiKeyAuthenticationFilter.publicApiRoutes().toArray(String[]::new))
                        .permitAll()
                        // Metrics span every project: server admins' server-wide keys only.
                        .requestMatchers("/actuator/**")
                        .access((authentication, context) ->
                                new AuthorizationDecision(serverAdminWithAdminScope(authentication.get())))
                        .anyRequest()
                        .authenticated())
                .exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, e) ->
                                ApiKeyAuthenticationFilter.unauthorized(request, response, ApiKeyAuthenticator.MISSING))
                        .accessDeniedHandler((request, response, e) -> Problems.write(
                                request,
                                response,
                                HttpStatus.FORBIDDEN,
                                "Forbidden",
                                "Your API key is not allowed to do this: this route is for server admins.")));
        return http.build();
    }

    /** What the site shows without signing in. */
    static final String[] PUBLIC_SITE_ROUTES = {
        "/login",
        "/error",
        "/favicon.ico",
        "/webjars/**",
        "/assets/**",
        "/docs",
        "/docs/**",
        "/swagger-ui/**",
        "/v3/api-docs",
        "/v3/api-docs/**"
    };

    /**
     * The site (the dashboard and the API docs): password sign-in at {@code /login} with a session
     * cookie (HttpOnly, SameSite=Lax, Secure when the request came over TLS; see application.yml),
     * CSRF tokens on every form, and a per-username backoff after repeated failures ({@link
     * LoginThrottle}). The dashboard's pages need a signed-in person; the sign-in page, static assets
     * and the API documentation do not.
     */
    @Bean
    @Order(2)
    SecurityFilterChain siteChain(
            HttpSecurity http, UserAccounts users, PasswordEncoder passwords, JdbcClient jdbc, Clock clock) {
        DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
        dao.setPasswordEncoder(passwords);
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(PUBLIC_SITE_ROUTES)
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .authenticationManager(new ProviderManager(new LoginThrottle(dao, jdbc, clock)))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(form ->
                        form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED)
                        .sessionFixation(fixation -> fixation.changeSessionId()));
        return http.build();
    }

    private static boolean serverAdminWithAdminScope(Authentication authentication) {
        if (authentication == null) {
            return false;
        }
        var authorities = authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .toList();
        return authorities.contains(ApiKeyAuthenticationFilter.SERVER_ADMIN_AUTHORITY)
                && authorities.contains("SCOPE_" + Permission.Scope.ADMIN);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    }
}
