/** A lineage node of the server's shape, for the lineage tests. */
export const node = (kind: string, uid: string, registry: string) => ({
  id: `${kind}:${uid}`,
  kind,
  uid,
  label: `${kind} ${uid}`,
  registry
});
