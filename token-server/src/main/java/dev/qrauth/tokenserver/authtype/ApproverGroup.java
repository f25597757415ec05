package dev.qrauth.tokenserver.authtype;

import dev.qrauth.tokenserver.user.Users;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The users who may approve a four-eyes transaction ({@code docs/PROTOCOL.md}, "Four-eyes
 * approval"): user ids as the admin API takes them, none twice, at most
 * {@link MobileAuthTypes#MAX_APPROVERS}. Whether they exist is not checked: a user who does not
 * (yet) exist simply never approves, as a group member without a phone never does.
 */
public final class ApproverGroup {

    private ApproverGroup() {
    }

    /**
     * The group {@code ids} names, in its order.
     *
     * @throws IllegalArgumentException why the group is refused, naming {@code member}
     */
    public static List<String> check(String member, List<String> ids) {
        if (ids.size() > MobileAuthTypes.MAX_APPROVERS) {
            throw new IllegalArgumentException(member + " may name at most " + MobileAuthTypes.MAX_APPROVERS + " users");
        }
        Set<String> seen = new HashSet<>();
        List<String> group = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (!Users.isValidUserId(id)) {
                throw new IllegalArgumentException(member + " must be user ids of 1 to 255 characters without spaces, "
                        + "'/' or control characters");
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException(member + " names a user twice: " + id);
            }
            group.add(id);
        }
        return List.copyOf(group);
    }

    /**
     * The group of an initiation's {@code approvers} parameter: user ids separated by commas (so
     * a user id holding a comma can only be in a type's group).
     *
     * @throws IllegalArgumentException why the parameter is refused
     */
    public static List<String> parse(String parameter) {
        if (parameter.isBlank()) {
            throw new IllegalArgumentException("approvers must name at least one user id");
        }
        return check("approvers", Arrays.asList(parameter.split(",", -1)));
    }
}
