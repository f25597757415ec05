package dev.qrauth.tokenserver;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A scheduled job that uses the database: it does not start once the server is stopping, and the
 * server waits for it to finish before anything it needs is shut down ({@link BackgroundJobs}).
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface BackgroundJob {
}
