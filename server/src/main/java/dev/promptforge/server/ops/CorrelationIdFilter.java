package dev.promptforge.server.ops;

import dev.promptforge.server.shared.Correlation;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Gives every request its correlation id ({@link Correlation}). */
@Component
// After the proxy endpoint (HIGHEST_PRECEDENCE), which gives its requests their id itself.
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class CorrelationIdFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Correlation.begin(request, response);
        try {
            chain.doFilter(request, response);
        } finally {
            Correlation.end();
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }
}
