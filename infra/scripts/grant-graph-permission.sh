#!/usr/bin/env sh
# Grants the app's managed identity a Microsoft Graph *application* permission, which is what
# lets it check files out and in without a signed-in user. Runs as azd's postprovision hook,
# or alone:
#
#   MANAGED_IDENTITY_PRINCIPAL_ID=<object id> ./infra/scripts/grant-graph-permission.sh
#
# Settings (environment; azd passes its environment's values):
#   MANAGED_IDENTITY_PRINCIPAL_ID  object (principal) id of the identity   (required)
#   GRAPH_APP_PERMISSION           Files.ReadWrite.All (default) or Sites.ReadWrite.All
#   GRAPH_PERMISSION_SKIP          "true" to do nothing (e.g. an admin grants it separately)
#
# Needs: az CLI signed in (`az login`) as a user who may grant application permissions for
# Microsoft Graph: Privileged Role Administrator or Global Administrator. Cloud Application
# Administrator and Application Administrator cannot grant Microsoft Graph app roles.
# Idempotent: an existing grant is reported and left alone.
set -eu

GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
principal="${MANAGED_IDENTITY_PRINCIPAL_ID:-}"
permission="${GRAPH_APP_PERMISSION:-Files.ReadWrite.All}"

if [ "${GRAPH_PERMISSION_SKIP:-}" = "true" ]; then
  echo "GRAPH_PERMISSION_SKIP=true: not granting $permission. Until someone does, Graph calls end in accessDenied."
  exit 0
fi
case "$permission" in
  Files.ReadWrite.All | Sites.ReadWrite.All) ;;
  *)
    echo "GRAPH_APP_PERMISSION must be Files.ReadWrite.All or Sites.ReadWrite.All, not \"$permission\"." >&2
    exit 2
    ;;
esac
if [ -z "$principal" ]; then
  echo "MANAGED_IDENTITY_PRINCIPAL_ID is not set. Run 'azd provision' first (it sets it), or export the identity's object id." >&2
  exit 2
fi
if ! command -v az >/dev/null 2>&1; then
  echo "The Azure CLI (az) is required: https://learn.microsoft.com/cli/azure/install-azure-cli" >&2
  exit 2
fi

# The Graph endpoint of the cloud az is signed in to (graph.microsoft.com in the public cloud).
graph="$(az cloud show --query endpoints.microsoftGraphResourceId -o tsv 2>/dev/null || true)"
graph="${graph%/}"
graph="${graph:-https://graph.microsoft.com}"

echo "Granting Microsoft Graph $permission (application) to the managed identity $principal"

graph_sp="$(az ad sp show --id "$GRAPH_APP_ID" --query id -o tsv)"
role_id="$(az ad sp show --id "$GRAPH_APP_ID" \
  --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)"
if [ -z "$graph_sp" ] || [ -z "$role_id" ]; then
  echo "Could not find Microsoft Graph or its $permission app role in this tenant." >&2
  exit 1
fi

existing="$(az rest --method GET \
  --url "$graph/v1.0/servicePrincipals/$principal/appRoleAssignments" \
  --query "value[?appRoleId=='$role_id' && resourceId=='$graph_sp'].id | [0]" -o tsv)"
if [ -n "$existing" ]; then
  echo "Already granted: nothing to do."
  exit 0
fi

body="{\"principalId\":\"$principal\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$role_id\"}"
if ! output="$(az rest --method POST \
  --url "$graph/v1.0/servicePrincipals/$principal/appRoleAssignments" \
  --headers "Content-Type=application/json" --body "$body" 2>&1)"; then
  echo "$output" >&2
  case "$output" in
    *Authorization_RequestDenied* | *Forbidden* | *"Insufficient privileges"*)
      cat >&2 <<EOF

Your account may not grant Microsoft Graph application permissions.
Ask a Privileged Role Administrator (or Global Administrator) to run, signed in with az login:

  MANAGED_IDENTITY_PRINCIPAL_ID=$principal GRAPH_APP_PERMISSION=$permission ./infra/scripts/grant-graph-permission.sh

(The portal cannot add app roles to a managed identity; the alternative is Microsoft Graph
PowerShell's New-MgServicePrincipalAppRoleAssignment.) Until then every checkout ends in
accessDenied.
EOF
      ;;
  esac
  exit 1
fi
echo "Granted. Graph may take a few minutes to honour it; until then calls can still end in accessDenied."
