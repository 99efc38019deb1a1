export function VideoRoute() {
  return <h1>Video</h1>;
}
