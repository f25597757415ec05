package dev.qrauth.tokenserver.device;

import dev.qrauth.tokenserver.user.UserDevices;
import dev.qrauth.protocol.admin.UserView.DeviceView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The registrations of users on devices, as the admin API's views of users show them. */
@ApplicationScoped
class Registrations implements UserDevices {

    @Override
    public List<DeviceView> devicesOf(String userId) {
        List<Registration> registrations = Registration.list("userId = ?1 order by createdAt", userId);
        return registrations.stream().map(registration -> {
            Device device = Device.findById(registration.deviceId);
            return new DeviceView(registration.deviceId, device == null ? null : device.name, registration.createdAt,
                    registration.isEnrolled(), registration.deviceKeyFingerprint, registration.failedPinAttempts);
        }).toList();
    }

    @Override
    public long count(String userId) {
        return Registration.count("userId", userId);
    }

    @Override
    public Map<String, Long> counts(Collection<String> userIds) {
        Map<String, Long> counts = new HashMap<>();
        if (userIds.isEmpty()) {
            return counts;
        }
        Registration.getEntityManager().createQuery("select r.userId, count(r) from Registration r "
                        + "where r.userId in :ids group by r.userId", Object[].class)
                .setParameter("ids", userIds)
                .getResultList()
                .forEach(row -> counts.put((String) row[0], (Long) row[1]));
        return counts;
    }
}
