package dev.promptforge.server.limits;

import dev.promptforge.server.security.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Rate-limits the {@code /api/**} routes by the calling key, after Spring Security has authenticated
 * it: {@code POST /api/v1/prompt/execute} is an execution, {@code GET}/{@code HEAD} a read, anything
 * else a write. {@code /v1/chat/completions} is limited by its own endpoint.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitInterceptor implements HandlerInterceptor, WebMvcConfigurer {

    static final String EXECUTE_PATH = "/api/v1/prompt/execute";

    private final RateLimiter limiter;

    RateLimitInterceptor(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**").excludePathPatterns("/api/v1/health");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        ApiKeyPrincipal key = ApiKeyPrincipal.current().orElse(null);
        if (key == null) {
            return true;
        }
        String method = request.getMethod();
        RouteClass route = "GET".equals(method) || "HEAD".equals(method)
                ? RouteClass.READ
                : EXECUTE_PATH.equals(request.getRequestURI()) ? RouteClass.EXECUTE : RouteClass.WRITE;
        limiter.check(key.keyId(), route, response);
        return true;
    }
}
