package dev.qrauth.tokenserver;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * One database setting, two clients: the hot path's reactive client connects where
 * {@code quarkus.datasource.jdbc.url} points (Hibernate and Flyway use that URL), unless
 * {@code quarkus.datasource.reactive.url} is set of its own. Username and password are shared
 * by the two already.
 */
@Priority(Priorities.APPLICATION + 100)
public class ReactiveUrlFromJdbc implements ConfigSourceInterceptor {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String JDBC_PREFIX = "jdbc:";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !REACTIVE_URL.equals(name)) {
            return value;
        }
        ConfigValue jdbc = context.proceed(EmbeddedDatabase.JDBC_URL);
        if (jdbc == null || jdbc.getValue() == null || !jdbc.getValue().startsWith(JDBC_PREFIX)) {
            return null;
        }
        return jdbc.withName(REACTIVE_URL).withValue(jdbc.getValue().substring(JDBC_PREFIX.length()));
    }
}
