// `azd up` entry point: one resource group with the function app on Flex Consumption, its
// user-assigned identity, storage reached only by identity, Application Insights with Entra ID
// auth, and the role assignments each binding needs (see infra/README.md for why each one).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used in resource names and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user (azd sets AZURE_PRINCIPAL_ID); gets queue and table data roles so `npm run smoke` can read results. Empty to skip.')
param principalId string = ''

@description('Node.js major version of the function app.')
@allowed(['20', '22'])
param nodeVersion string = '20'

@description('Microsoft Graph origin; change it for a national cloud (e.g. https://graph.microsoft.us).')
param graphBaseUrl string = 'https://graph.microsoft.com'

@description('Largest number of instances Flex Consumption may scale out to; bounds Graph load and cost.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

// Names of the queues and the table; the app reads the same names from its settings, and
// test/settingsConsistency.test.ts checks that they agree with src/config.ts.
param requestsQueueName string = 'checkout-requests'
param resultsQueueName string = 'checkout-results'
param idempotencyTableName string = 'checkoutrequests'

param resourceGroupName string = ''
param functionAppName string = ''
param storageAccountName string = ''

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var appName = !empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}api-${resourceToken}'
// Flex Consumption deploys the package from this blob container, read with the app's identity.
var deploymentContainerName = 'app-package-${take(appName, 32)}-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    queueNames: [requestsQueueName, resultsQueueName, '${requestsQueueName}-poison']
    tableNames: [idempotencyTableName]
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: appName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    nodeVersion: nodeVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    requestsQueueName: requestsQueueName
    resultsQueueName: resultsQueueName
    idempotencyTableName: idempotencyTableName
    graphBaseUrl: graphBaseUrl
  }
  // The host checks its storage and queues at start: let the roles exist first.
  dependsOn: [rbac]
}

// azd stores these in the environment; hooks and `npm run smoke` read them from there.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_URL string = 'https://${api.outputs.defaultHostName}/api/checkout'
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output CHECKOUT_RESULTS_QUEUE string = resultsQueueName
output GRAPH_BASE_URL string = graphBaseUrl
