package dev.aeon.auth.mtls;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * A namespace's client-certificate settings, the {@code mtls} object of the namespace the control plane provisions
 * on the data plane (docs/internal-api.md).
 *
 * @param acceptedClientCa PEM bundle of the CA certificates whose (direct or intermediate) issues are accepted
 * @param certificateFilters when non-empty, a certificate must match at least one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MtlsSettings(boolean enabled, String acceptedClientCa, List<CertificateFilter> certificateFilters) {

    public static final MtlsSettings DISABLED = new MtlsSettings(false, null, List.of());

    public MtlsSettings {
        certificateFilters = certificateFilters == null ? List.of() : List.copyOf(certificateFilters);
    }
}
