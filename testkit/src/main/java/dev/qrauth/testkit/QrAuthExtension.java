package dev.qrauth.testkit;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@link TestTokenServer} per test class, started before its first test
 * and stopped (its data deleted) after its last.
 *
 * <p>With the defaults, declare it and take what the tests need as parameters; each
 * {@link VirtualPhone} parameter is a new phone:
 *
 * <pre>{@code
 * @ExtendWith(QrAuthExtension.class)
 * class LoginTest {
 *     @Test
 *     void logsIn(TestTokenServer server, VirtualPhone phone) { ... }
 * }
 * }</pre>
 *
 * <p>With options, or to reach the server from a static {@code @BeforeAll} (for example to start
 * the portal under test), register it in a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static QrAuthExtension qrauth = new QrAuthExtension(TestTokenServer.builder().portalName("Example Bank"));
 *
 * @BeforeAll
 * static void startPortal() {
 *     TestTokenServer server = qrauth.server();
 *     ...
 * }
 * }</pre>
 */
public final class QrAuthExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QrAuthExtension.class);

    private final TestTokenServer.Builder options;
    private volatile TestTokenServer server;

    /** A server with the defaults of {@link TestTokenServer#builder()}. */
    public QrAuthExtension() {
        this(TestTokenServer.builder());
    }

    /** A server with these options. */
    public QrAuthExtension(TestTokenServer.Builder options) {
        this.options = Objects.requireNonNull(options, "options == null");
    }

    /** The running server; from {@code @BeforeAll} methods on. */
    public TestTokenServer server() {
        TestTokenServer running = server;
        if (running == null) {
            throw new IllegalStateException("The token server starts before the class's tests: register the "
                    + "extension in a static field, and call server() from @BeforeAll or a test");
        }
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = context.getStore(NAMESPACE).getOrComputeIfAbsent(TestTokenServer.class,
                type -> options.start(), TestTokenServer.class);
    }

    /**
     * Stops the server here rather than leaving it to the store: JUnit before 5.13 does not close
     * an {@code AutoCloseable} kept in a store, and the server and its database would outlive the
     * tests.
     */
    @Override
    public void afterAll(ExtensionContext context) {
        TestTokenServer started = context.getStore(NAMESPACE).remove(TestTokenServer.class, TestTokenServer.class);
        server = null;
        if (started != null) {
            started.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestTokenServer.class || type == VirtualPhone.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestTokenServer.class ? server() : server().newPhone();
    }
}
