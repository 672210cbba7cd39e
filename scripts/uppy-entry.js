// The upload widget's third-party code, bundled by scripts/build-vendor.mjs into
// static/vendor/uppy.js as one global (window.Uppy). Our own code lives in static/js/.
export { default as Uppy } from "@uppy/core";
export { default as Dashboard } from "@uppy/dashboard";
export { default as AwsS3 } from "@uppy/aws-s3";
export { default as GoldenRetriever } from "@uppy/golden-retriever";
