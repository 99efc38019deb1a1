console.info('[lossy] service worker started');
