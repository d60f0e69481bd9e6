// ali-oss ships no type declarations; oss.ts types the few calls it makes itself.
declare module "ali-oss";
