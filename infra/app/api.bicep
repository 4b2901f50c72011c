// The function app on the Flex Consumption plan (FC1), running as its user-assigned identity
// for everything: storage, Application Insights, the deployment package and Microsoft Graph.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
@allowed(['20', '22'])
param nodeVersion string
param maximumInstanceCount int
param instanceMemoryMB int
param requestsQueueName string
param resultsQueueName string
param idempotencyTableName string
param graphBaseUrl string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

// Every setting the code reads (src/config.ts SETTINGS) and the identity-based form of the
// AzureWebJobsStorage connection. test/settingsConsistency.test.ts reads this block.
var appSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  // Local auth is off on the component: the host sends telemetry with the identity's token.
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // The Graph token comes from this identity; without it the code would ask for a
  // system-assigned identity, which this app does not have.
  AZURE_CLIENT_ID: identityClientId
  CHECKOUT_REQUESTS_QUEUE: requestsQueueName
  CHECKOUT_RESULTS_QUEUE: resultsQueueName
  CHECKOUT_IDEMPOTENCY_TABLE: idempotencyTableName
  CHECKOUT_IDEMPOTENCY_TTL_HOURS: '24'
  CHECKOUT_RETRY_BASE_DELAY_MS: '5000'
  CALLBACK_ALLOWED_HOSTS: '*.logic.azure.com'
  GRAPH_BASE_URL: graphBaseUrl
  GRAPH_API_VERSION: 'v1.0'
  GRAPH_TIMEOUT_MS: '30000'
  GRAPH_RETRY_BUDGET_MS: '20000'
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the app to deploy `api` to by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      // The Logic Apps designer fetches /api/openapi.json from the browser (HTTP + Swagger action).
      cors: {
        allowedOrigins: ['https://portal.azure.com', 'https://ms.portal.azure.com']
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }

  resource configAppSettings 'config' = {
    name: 'appsettings'
    properties: appSettings
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
