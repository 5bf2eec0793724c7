package dev.promptforge.server.dashboard;

import dev.promptforge.server.shared.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In a dashboard-only process ({@code promptforge dashboard}), the API and the gateway answer 404
 * with a problem that says where they are: this process serves the pages only.
 */
@Component
@ConditionalOnProperty(name = "promptforge.dashboard.only", havingValue = "true")
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class DashboardOnlyFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.startsWith("/api/") || path.startsWith("/v1/") || path.equals("/api") || path.equals("/v1"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Problems.write(
                request,
                response,
                HttpStatus.NOT_FOUND,
                "Not found",
                "This process serves only the dashboard (promptforge dashboard); the API and the gateway are"
                        + " served by promptforge serve on the same database.");
    }
}
