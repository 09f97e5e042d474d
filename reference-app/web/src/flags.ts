// Build-time flags, injected by the bundler (reference-app/src/web.ts). The only one exists for the
// e2e self-test: a client built with notificationPush=false ignores notification pushes, so the
// notification journey must fail against it.
declare const __WEB_FLAGS__: { readonly notificationPush: boolean };

export const FLAGS = __WEB_FLAGS__;
