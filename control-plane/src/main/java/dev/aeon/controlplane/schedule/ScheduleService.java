package dev.aeon.controlplane.schedule;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.controlplane.audit.AuditLog;
import dev.aeon.controlplane.provisioning.DataPlaneSchedules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * A namespace's schedules, managed from the control plane: Temporal's schedule RPCs, run by the data plane that
 * holds the namespace (schedules are runs of its engine). The caller was authorized on the namespace already; this
 * fills what an SDK would (a request id, an identity), and logs each accepted change in the audit log.
 */
@ApplicationScoped
public class ScheduleService {

    private static final Logger LOG = Logger.getLogger(ScheduleService.class);

    @Inject
    DataPlaneSchedules dataPlane;
    @Inject
    AuditLog auditLog;

    public Message call(ApiKeyPrincipal principal, Message request) {
        Message.Builder filled = request.toBuilder();
        // As an SDK does: a request id makes the call idempotent on the data plane (a retried create is no second
        // schedule), and the identity says who changed the schedule in its history.
        fillIfEmpty(filled, "request_id", UUID.randomUUID().toString());
        fillIfEmpty(filled, "identity", principal.ownerType() + ":" + principal.ownerId() + " (Aeon control plane)");
        Message answer = dataPlane.call(filled.build());
        if (AuditLog.isMutation(request)) {
            try {
                auditLog.recordAccepted(principal, request);
            } catch (RuntimeException e) {
                // The data plane made the change: answering an error now would tell the caller it did not.
                LOG.error("cannot log an accepted " + request.getDescriptorForType().getName(), e);
            }
        }
        return answer;
    }

    private static void fillIfEmpty(Message.Builder request, String name, String value) {
        FieldDescriptor field = request.getDescriptorForType().findFieldByName(name);
        if (field != null && field.getJavaType() == FieldDescriptor.JavaType.STRING
                && ((String) request.getField(field)).isEmpty()) {
            request.setField(field, value);
        }
    }
}
