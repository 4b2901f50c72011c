# Windows twin of grant-graph-permission.sh (azd runs this one on Windows): grants the app's
# managed identity a Microsoft Graph application permission. Same settings, same rights needed
# (Privileged Role Administrator or Global Administrator), same idempotence.
# Failures are read from $LASTEXITCODE: with 'Stop', az writing to stderr would end the script
# before it could say what to do.
$ErrorActionPreference = 'Continue'

function Fail([string]$message, [int]$code) {
  [Console]::Error.WriteLine($message)
  exit $code
}

$graphAppId = '00000003-0000-0000-c000-000000000000'
$principal = $env:MANAGED_IDENTITY_PRINCIPAL_ID
$permission = if ($env:GRAPH_APP_PERMISSION) { $env:GRAPH_APP_PERMISSION } else { 'Files.ReadWrite.All' }

if ($env:GRAPH_PERMISSION_SKIP -eq 'true') {
  Write-Host "GRAPH_PERMISSION_SKIP=true: not granting $permission. Until someone does, Graph calls end in accessDenied."
  exit 0
}
if ($permission -notin @('Files.ReadWrite.All', 'Sites.ReadWrite.All')) {
  Fail "GRAPH_APP_PERMISSION must be Files.ReadWrite.All or Sites.ReadWrite.All, not '$permission'." 2
}
if (-not $principal) {
  Fail "MANAGED_IDENTITY_PRINCIPAL_ID is not set. Run 'azd provision' first (it sets it), or set the identity's object id." 2
}
if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
  Fail 'The Azure CLI (az) is required: https://learn.microsoft.com/cli/azure/install-azure-cli' 2
}

$graph = (az cloud show --query endpoints.microsoftGraphResourceId -o tsv 2>$null)
if (-not $graph) { $graph = 'https://graph.microsoft.com' }
$graph = $graph.TrimEnd('/')

Write-Host "Granting Microsoft Graph $permission (application) to the managed identity $principal"

$graphSp = az ad sp show --id $graphAppId --query id -o tsv
if ($LASTEXITCODE -ne 0) { exit 1 }
$roleId = az ad sp show --id $graphAppId --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv
if ($LASTEXITCODE -ne 0 -or -not $graphSp -or -not $roleId) {
  Fail "Could not find Microsoft Graph or its $permission app role in this tenant." 1
}

$existing = az rest --method GET --url "$graph/v1.0/servicePrincipals/$principal/appRoleAssignments" `
  --query "value[?appRoleId=='$roleId' && resourceId=='$graphSp'].id | [0]" -o tsv
if ($LASTEXITCODE -ne 0) { exit 1 }
if ($existing) {
  Write-Host 'Already granted: nothing to do.'
  exit 0
}

# az on Windows passes arguments through cmd, which eats bare double quotes; a file is safe.
$bodyFile = New-TemporaryFile
try {
  @{ principalId = $principal; resourceId = $graphSp; appRoleId = $roleId } | ConvertTo-Json -Compress | Set-Content -Path $bodyFile -Encoding utf8
  $output = az rest --method POST --url "$graph/v1.0/servicePrincipals/$principal/appRoleAssignments" `
    --headers 'Content-Type=application/json' --body "@$bodyFile" 2>&1
  $failed = $LASTEXITCODE -ne 0
} finally {
  Remove-Item $bodyFile -ErrorAction SilentlyContinue
}
if ($failed) {
  Write-Host ($output | Out-String)
  if (($output | Out-String) -match 'Authorization_RequestDenied|Forbidden|Insufficient privileges') {
    Write-Host @"

Your account may not grant Microsoft Graph application permissions.
Ask a Privileged Role Administrator (or Global Administrator) to run, signed in with az login:

  `$env:MANAGED_IDENTITY_PRINCIPAL_ID='$principal'; `$env:GRAPH_APP_PERMISSION='$permission'; ./infra/scripts/grant-graph-permission.ps1

Until then every checkout ends in accessDenied.
"@
  }
  exit 1
}
Write-Host 'Granted. Graph may take a few minutes to honour it; until then calls can still end in accessDenied.'
