package dev.qrauth.portal;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The one clock the portal reads time from: code expiry, session lifetimes, the rate of new codes
 * and the age of a callback's signature. It is the system clock in UTC; being a default bean, it
 * gives way to any other {@link Clock} bean, so a test can declare one to move time itself.
 */
@Singleton
class SystemClock {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
