// The upload widget's third-party code, bundled by scripts/build-vendor.mjs into
// static/vendor/uppy.js as one global (window.Uppy): no Uppy UI (the tray, static/js/upload_tray.js, is ours).
// Our own code lives in static/js/.
export { default as Uppy } from "@uppy/core";
export { default as AwsS3 } from "@uppy/aws-s3";
export { default as GoldenRetriever } from "@uppy/golden-retriever";
