// The CochlearFit storefront's build, with site/ as its source folder.
// Minimal until the storefront issue adds the site itself.
export default {
  srcDir: "./site/src",
  publicDir: "./site/public",
  outDir: "./site/dist",
};
