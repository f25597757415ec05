/**
 * {@code otp-device}, the headless phone app: a picocli program over the device SDK for people at
 * a terminal and for scripts.
 */
package dev.qrauth.cli;
