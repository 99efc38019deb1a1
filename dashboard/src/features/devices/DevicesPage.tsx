export function DevicesPage() {
  return <h1>DevicesPage</h1>;
}
