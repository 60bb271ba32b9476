"""moto_server (moto 5.2.5) with two corrections to its SigV4 check and one to EKS, used by
tests/support/moto.sh.

moto verifies a request's signature by signing it again, from its parsed parameters when
the body is gone (`data=self._body or self._data` in moto/iam/access_control.py; Flask
hands a form-encoded body over as parsed fields). Once IAM enforcement is on
(`/moto-api/reset-auth`), that fails for two kinds of request the AWS SDKs send:
- a signed GET with a query string (EKS's `GET /clusters?maxResults=100`): moto signs the
  query as a body. Here a bodyless GET, HEAD or DELETE is signed with its empty body;
- a form-encoded POST whose values hold a space (EC2 tags such as `ops@host pid 7`): moto
  encodes the fields again with `+` for a space where the SDK sent `%20` (RFC 3986, as
  SigV4 asks). Here the fields are encoded again as the SDK did.
Without IAM enforcement (the default) that code never runs; policy evaluation is moto's own.

EKS: moto's UpdateClusterConfig replaces the whole resourcesVpcConfig with the fields sent,
so changing endpoint access drops the cluster's subnets and security groups. EKS changes
only the fields a request names: here they are merged into the cluster's configuration.
"""
import sys
from urllib.parse import quote, urlencode

import moto.iam.access_control as access_control

_create = access_control.IAMRequestBase._create_aws_request


def _create_aws_request(self):
    method = str(self._method).upper()
    if self._body or not self._data:
        return _create(self)
    if method in ("GET", "HEAD", "DELETE"):
        body = b""
    elif isinstance(self._data, dict):
        pairs = [(k, v) for k, vs in self._data.items() for v in (vs if isinstance(vs, list) else [vs])]
        body = urlencode(pairs, quote_via=quote, safe="-_.~")
    else:
        return _create(self)
    data, self._data = self._data, body
    try:
        return _create(self)
    finally:
        self._data = data


access_control.IAMRequestBase._create_aws_request = _create_aws_request

import moto.eks.models as eks_models  # noqa: E402

_update_cluster_config = eks_models.EKSBackend.update_cluster_config


def update_cluster_config(self, name, resources_vpc_config, *args, **kwargs):
    cluster = self.clusters.get(name)
    if cluster is not None and resources_vpc_config:
        resources_vpc_config = {**(cluster.resources_vpc_config or {}), **resources_vpc_config}
    return _update_cluster_config(self, name, resources_vpc_config, *args, **kwargs)


eks_models.EKSBackend.update_cluster_config = update_cluster_config

from moto.server import main  # noqa: E402  (after the correction)

if __name__ == "__main__":
    sys.exit(main())
