// Lets TypeScript accept Vite's CSS side-effect imports.
declare module '*.css';
