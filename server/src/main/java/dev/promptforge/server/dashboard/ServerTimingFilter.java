package dev.promptforge.server.dashboard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Adds {@code Server-Timing: total;dur=<ms>} to the dashboard's pages ({@code /projects/**}): the
 * time the server spent on the request, sign-in check, queries and rendering included. The page is
 * buffered (up to {@value #BUFFER} bytes) so the header can follow the rendering; streams (the live
 * records, exports) are left alone, and a page larger than the buffer goes without the header.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class ServerTimingFilter extends OncePerRequestFilter {

    static final int BUFFER = 512 * 1024;

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/projects/") || path.endsWith("/live") || path.contains("/export");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        response.setBufferSize(BUFFER);
        HeldFlushes held = new HeldFlushes(response);
        chain.doFilter(request, held);
        if (!response.isCommitted()) {
            double millis = (System.nanoTime() - started) / 1e6;
            response.setHeader("Server-Timing", String.format(Locale.ROOT, "total;dur=%.1f", millis));
        }
        held.release();
    }

    /** The view flushes when it has rendered; the flush (which commits the headers) waits for the filter. */
    private static final class HeldFlushes extends HttpServletResponseWrapper {
        private @Nullable PrintWriter writer;
        private @Nullable ServletOutputStream stream;

        HeldFlushes(HttpServletResponse response) {
            super(response);
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (writer == null) {
                writer = new PrintWriter(super.getWriter()) {
                    @Override
                    public void flush() {}
                };
            }
            return writer;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                ServletOutputStream out = super.getOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        out.setWriteListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public void flushBuffer() {}

        void release() throws IOException {
            // the writer and stream above write straight through to the response's buffer
            getResponse().flushBuffer();
        }
    }
}
