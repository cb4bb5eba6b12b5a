package dev.aeon.codec.cors;

import java.util.Map;

/** Namespaces' own CORS policies (on top of the configured defaults). Calls block; callers run on worker threads. */
public interface CorsSettingsRepository {

    /** Every namespace that has its own policy; a small table, read whole. */
    Map<String, CorsPolicy> findAll();

    void save(String namespace, CorsPolicy policy);

    /** @return whether the namespace had a policy */
    boolean delete(String namespace);
}
