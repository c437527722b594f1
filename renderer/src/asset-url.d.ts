/** A file of the renderer's build imported for its address (Vite's `?url`): the built app serves it itself. */
declare module '*?url' {
  const url: string;
  export default url;
}
