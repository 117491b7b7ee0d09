/**
 * The whole suite, tested as operators run it: from its images with docker-compose ({@code ComposeStackIT}) and as
 * replicated processes on one Redis ({@code ScaleOutIT}). Test-only; everything here drives real processes.
 */
package cx.wip.stack;
