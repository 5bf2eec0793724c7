package dev.promptforge.server.dashboard;

import dev.promptforge.server.shared.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** Errors of the dashboard's pages as an HTML page a person can act on (the API keeps problem details). */
@ControllerAdvice(basePackageClasses = PageErrors.class)
class PageErrors {

    @ExceptionHandler(Pages.PageNotFoundException.class)
    String notFound(Pages.PageNotFoundException e, Model model, HttpServletResponse response) {
        return error(404, "Not found", e.getMessage(), model, response);
    }

    @ExceptionHandler(Pages.PageForbiddenException.class)
    String forbidden(Pages.PageForbiddenException e, Model model, HttpServletResponse response) {
        return error(403, "Not allowed", e.getMessage(), model, response);
    }

    @ExceptionHandler(ApiException.class)
    String api(ApiException e, Model model, HttpServletResponse response) {
        return error(e.status().value(), e.title(), String.valueOf(e.getMessage()), model, response);
    }

    private static String error(int status, String title, String detail, Model model, HttpServletResponse response) {
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("title", title);
        model.addAttribute("detail", detail);
        return "dashboard/error";
    }
}
