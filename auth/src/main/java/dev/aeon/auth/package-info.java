/**
 * Authentication and authorization shared by every Aeon service: who is calling (API key or client
 * certificate) and what that identity may do on which namespace. Built out by the auth issue.
 */
package dev.aeon.auth;
