// Bottleneck's light build (no Redis clustering) is what @octokit/plugin-throttling loads; its
// API and types are the full build's.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck'
  export default Bottleneck
}
