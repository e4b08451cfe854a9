// The system packages Loom's commands need, in one place: the set-up (ensureSetup.mjs) checks them
// before `npm start` and `npm test`, and installs them as root on Debian.

/**
 * Debian package name -> the executables that show it is there where dpkg is not (any one of them),
 * and what it is for (said when it is missing).
 */
export const SYSTEM_PACKAGES = {
  bubblewrap: { commands: ['bwrap'], why: 'the sandbox that workers run jobs in' },
  chromium: { commands: ['chromium', 'chromium-browser'], why: "the web UI's browser tests" },
  postgresql: { commands: ['pg_ctlcluster', 'pg_ctl'], why: 'the indexer tests on PostgreSQL' },
  'docker-registry': { commands: ['docker-registry'], why: 'the local OCI registry the image tests pull from (testkit/registry.ts)' },
  skopeo: { commands: ['skopeo'], why: 'pushing the test images to the local registry (testkit/images.ts)' },
  umoci: { commands: ['umoci'], why: "building the test images, and the oracle an unpacked image is compared with (umoci raw unpack)" },
  'busybox-static': { commands: ['busybox'], why: 'the one-file userspace the test images are made of' },
};

/** What each command needs. `start` needs bubblewrap only when it runs a worker (ensureSetup.mjs). */
export const NEEDED_BY = {
  start: ['bubblewrap'],
  test: ['bubblewrap', 'chromium', 'postgresql', 'docker-registry', 'skopeo', 'umoci', 'busybox-static'],
};
