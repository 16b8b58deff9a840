/**
 * A certificate authority made for one test run with the openssl command line, and a server
 * certificate it signs for made-up host names. The action trusts it the way a runner trusts a
 * company CA: NODE_EXTRA_CA_CERTS names the CA's PEM file (https://nodejs.org/api/cli.html#node_extra_ca_certsfile).
 */
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TestCa {
  /** PEM file of the CA: the value for NODE_EXTRA_CA_CERTS. */
  caFile: string
  /** Server key and certificate (PEM) for every name given. */
  key: string
  cert: string
}

/** Writes the CA and the server certificate into `dir` (EC P-256 keys: fast to make). */
export async function createTestCa(dir: string, hostNames: string[]): Promise<TestCa> {
  const file = (name: string) => path.join(dir, name)
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await writeFile(
    file('ca.ext'),
    'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n'
  )
  await writeFile(
    file('server.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid,issuer',
      `subjectAltName=${hostNames.map(name => `DNS:${name}`).join(',')}`,
      ''
    ].join('\n')
  )
  // CA: a CSR signed by its own key, so both certificates are made the same portable way.
  await run('openssl', [
    'req', '-new', ...ecKey, '-keyout', file('ca.key'), '-out', file('ca.csr'),
    '-subj', '/CN=Phrase Pull Test CA'
  ]) // prettier-ignore
  await run('openssl', [
    'x509', '-req', '-in', file('ca.csr'), '-signkey', file('ca.key'), '-days', '2',
    '-extfile', file('ca.ext'), '-out', file('ca.pem')
  ]) // prettier-ignore
  await run('openssl', [
    'req', '-new', ...ecKey, '-keyout', file('server.key'), '-out', file('server.csr'),
    '-subj', `/CN=${hostNames[0]}`
  ]) // prettier-ignore
  await run('openssl', [
    'x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-set_serial', '2', '-days', '2', '-extfile', file('server.ext'), '-out', file('server.pem')
  ]) // prettier-ignore
  const [key, cert] = await Promise.all([
    readFile(file('server.key'), 'utf8'),
    readFile(file('server.pem'), 'utf8')
  ])
  return { caFile: file('ca.pem'), key, cert }
}
