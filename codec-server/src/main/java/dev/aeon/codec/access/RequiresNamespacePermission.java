package dev.aeon.codec.access;

import dev.aeon.auth.NamespacePermission;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the permission a resource method needs on the namespace of the call. {@link NamespaceCallResolver}
 * resolves the namespace for every method carrying it; authorization reads the result from
 * {@link CurrentNamespaceCall}. Every codec-server endpoint except {@code /q/*} carries one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresNamespacePermission {
    NamespacePermission value();
}
