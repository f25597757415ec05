package dev.qrauth.tokenserver.user;

import dev.qrauth.protocol.admin.UserView.DeviceView;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The devices users are registered on, for the admin API's views of users. Registrations are
 * kept by the device package, which builds on users, so it provides this to the user package
 * rather than the other way round. Each method runs in the caller's database transaction.
 */
public interface UserDevices {

    /** The devices {@code userId} is registered on, oldest registration first. */
    List<DeviceView> devicesOf(String userId);

    /** How many devices {@code userId} is registered on. */
    long count(String userId);

    /** How many devices each of {@code userIds} is registered on; a user on none is left out. */
    Map<String, Long> counts(Collection<String> userIds);
}
